//! `/venue/staff`: the organisation's members, added and removed by a manager.

use domain::api::{Member, Membership, Removal, Role};
use domain::i18n::Text;
use domain::validation::FieldError;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::adapters::api;
use crate::i18n::use_i18n;
use crate::pages::fields::{ConfirmedAction, TextField};
use crate::pages::venue::Failure;

#[component]
pub fn StaffPage() -> impl IntoView {
    let i18n = use_i18n();
    let organisation = LocalResource::new(|| api::get::<Membership>("/api/v1/organisation"));
    view! {
        <section class="page" aria-labelledby="staff-title">
            <h1 id="staff-title">{move || i18n.t(Text::StaffTitle)}</h1>
            <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>
                {move || {
                    organisation.get().map(|result| match result {
                        Ok(membership) => view! { <Members membership/> }.into_any(),
                        Err(failure) => view! { <Failure failure/> }.into_any(),
                    })
                }}
            </Transition>
            <A href="/venue" attr:class="button">{move || i18n.t(Text::VenuesTitle)}</A>
        </section>
    }
}

#[component]
fn Members(membership: Membership) -> impl IntoView {
    let i18n = use_i18n();
    let base = format!(
        "/api/v1/organisations/{}/members",
        membership.organisation_id
    );
    let (refresh, set_refresh) = signal(0u32);
    let members = LocalResource::new({
        let base = base.clone();
        move || {
            refresh.track();
            let base = base.clone();
            async move { api::get::<Vec<Member>>(&base).await }
        }
    });
    let (phone, set_phone) = signal(String::new());
    let (role, set_role) = signal(Role::Staff);
    let (errors, set_errors) = signal(Vec::<FieldError>::new());
    let add = Action::new_local({
        let base = base.clone();
        move |member: &Member| {
            let (base, member) = (base.clone(), member.clone());
            async move { api::post_only(&base, &member).await }
        }
    });
    let remove = Action::new_local({
        let base = base.clone();
        move |phone: &String| {
            let (path, body) = (
                base.clone(),
                Removal {
                    phone: phone.clone(),
                },
            );
            async move { api::delete(&path, &body).await }
        }
    });
    Effect::new(move |_| match add.value().get() {
        Some(Ok(())) => {
            set_phone.set(String::new());
            set_errors.set(Vec::new());
            set_refresh.update(|n| *n += 1);
        }
        Some(Err(failure)) => set_errors.set(failure.fields()),
        None => {}
    });
    Effect::new(move |_| {
        if remove.value().get().is_some() {
            set_refresh.update(|n| *n += 1);
        }
    });
    view! {
        <p class="lead"><strong>{membership.organisation_name}</strong></p>
        <Transition fallback=move || view! { <p>{move || i18n.t(Text::Loading)}</p> }>
            {move || {
                members.get().map(|result| match result {
                    Ok(list) => view! {
                        <ul class="cards" aria-labelledby="staff-title">
                            {list.into_iter().map(|member| {
                                let phone = member.phone.clone();
                                view! {
                                    <li class="card">
                                        <span class="card-title">{member.phone.clone()}</span>
                                        <span class="card-detail">{move || i18n.t(member.role.text())}</span>
                                        <ConfirmedAction
                                            label=Text::RemoveStaff
                                            confirm=Text::ConfirmRemoveStaff
                                            back=Text::KeepStaff
                                            on_confirm=move || { remove.dispatch(phone.clone()); }
                                        />
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(failure) => view! { <Failure failure/> }.into_any(),
                })
            }}
        </Transition>
        {move || match remove.value().get() {
            Some(Err(failure)) => Some(view! { <Failure failure/> }),
            _ => None,
        }}
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            add.dispatch(Member { phone: phone.get_untracked(), role: role.get_untracked() });
        }>
            <h2>{move || i18n.t(Text::AddStaff)}</h2>
            <TextField
                name="phone"
                label=Text::PhoneNumber
                input_type="tel"
                input_mode="tel"
                autocomplete="off"
                value=phone
                on_input=move |value| set_phone.set(value)
                errors
            />
            <div class="field">
                <label for="role">{move || i18n.t(Text::RoleLabel)}</label>
                <select id="role" on:change=move |ev| {
                    set_role.set(if event_target_value(&ev) == "manager" { Role::Manager } else { Role::Staff });
                }>
                    <option value="staff">{move || i18n.t(Text::RoleStaff)}</option>
                    <option value="manager">{move || i18n.t(Text::RoleManager)}</option>
                </select>
            </div>
            {move || match add.value().get() {
                Some(Err(failure)) if failure.fields().is_empty() => Some(view! { <Failure failure/> }),
                _ => None,
            }}
            <button type="submit" class="button button-primary" disabled=move || add.pending().get()>
                {move || i18n.t(Text::AddStaff)}
            </button>
        </form>
    }
}

//! The server's HTTP surface, exercised in-process against a throwaway data and dist directory.

mod support;

use std::collections::BTreeSet;

use axum::http::{header, StatusCode};
use domain::gate::{GateScan, GateVisitor};
use domain::submission::{Content, Erasure, Submission};
use domain::visit::{CheckIn, Direction, Visitor};
use serde_json::{json, Value};
use support::TestServer;

const INDEX: &str = r#"<!DOCTYPE html><html><head><script type="module">boot()</script>
<link rel="modulepreload" href="/pkg/0123456789ab/app.js"></head><body></body></html>"#;

async fn server() -> TestServer {
    TestServer::start(
        INDEX,
        &[
            ("pkg/0123456789ab/app.js", "export {}"),
            ("sw.js", "// worker"),
        ],
    )
    .await
}

#[tokio::test]
async fn health_answers_and_is_never_cached() {
    let server = server().await;
    let (status, headers, body) = server.get("/api/v1/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "ok");
}

#[tokio::test]
async fn unknown_api_routes_are_json_404_not_the_app_shell() {
    let server = server().await;
    for path in [
        "/api/v1/nope",
        "/api/v1/",
        "/api/v1/health/extra",
        "/api",
        "/api/",
        "/api/v2/health",
    ] {
        let (status, headers, body) = server.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{path}");
        assert!(body.contains("\"not_found\""), "{path}: {body}");
    }
}

async fn openapi_document(server: &TestServer) -> Value {
    let (status, _, body) = server.get("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let document: Value = serde_json::from_str(&body).unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    document
}

const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

#[tokio::test]
async fn openapi_document_describes_exactly_the_served_endpoints() {
    let document = openapi_document(&server().await).await;
    let described: BTreeSet<(String, String)> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|key| HTTP_METHODS.contains(&key.as_str()))
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    let served: BTreeSet<(String, String)> = server::endpoints_served()
        .into_iter()
        .map(|(method, path)| (method.as_str().to_owned(), path.to_owned()))
        .collect();
    assert_eq!(
        described.difference(&served).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "described but not served"
    );
    assert_eq!(
        served.difference(&described).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "served but not described"
    );
    assert!(served.contains(&("GET".into(), "/api/v1/policy".into())));
}

#[tokio::test]
async fn openapi_document_has_no_untyped_body_or_schema() {
    let document = openapi_document(&server().await).await;
    let mut untyped = Vec::new();
    find_untyped(&document, "#", &mut untyped);
    assert_eq!(untyped, Vec::<String>::new());
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if !HTTP_METHODS.contains(&method.as_str()) {
                continue;
            }
            let at = format!("{} {path}", method.to_uppercase());
            let bodies = operation["requestBody"]["content"]
                .as_object()
                .into_iter()
                .chain(
                    operation["responses"]
                        .as_object()
                        .unwrap()
                        .values()
                        .filter_map(|response| response["content"].as_object()),
                );
            for content in bodies {
                for (media_type, body) in content {
                    assert!(
                        body["schema"].is_object(),
                        "{at}: {media_type} has no schema"
                    );
                }
            }
        }
    }
}

/// Records where `value` holds a schema that says no more than "an object" (`type: object`
/// without properties, composition or additional properties): a body left undescribed.
fn find_untyped(value: &Value, at: &str, untyped: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let object_type = match &map.get("type") {
                Some(Value::String(name)) => name == "object",
                Some(Value::Array(names)) => names.iter().any(|name| name == "object"),
                _ => false,
            };
            let described = [
                "properties",
                "additionalProperties",
                "allOf",
                "oneOf",
                "anyOf",
                "$ref",
            ]
            .iter()
            .any(|key| map.contains_key(*key));
            if object_type && !described {
                untyped.push(at.to_owned());
            }
            for (key, inner) in map {
                find_untyped(inner, &format!("{at}/{key}"), untyped);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                find_untyped(inner, &format!("{at}/{index}"), untyped);
            }
        }
        _ => {}
    }
}

/// Checks `value` against `schema` of `document` (the subset of JSON Schema utoipa writes:
/// references, composition, types, enums, required and additional properties, items, formats
/// `uuid` and `date`, minimum), naming the first place it does not fit.
fn conforms(document: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| format!("{at}: reference {reference} outside the components"))?;
        let target = &document["components"]["schemas"][name];
        if target.is_null() {
            return Err(format!("{at}: no schema {name}"));
        }
        return conforms(document, target, value, at);
    }
    if let Some(all) = schema["allOf"].as_array() {
        for part in all {
            conforms(document, part, value, at)?;
        }
    }
    if let Some(any) = schema["anyOf"].as_array() {
        if !any
            .iter()
            .any(|part| conforms(document, part, value, at).is_ok())
        {
            return Err(format!("{at}: matches none of anyOf: {value}"));
        }
    }
    if let Some(one) = schema["oneOf"].as_array() {
        let failures: Vec<String> = one
            .iter()
            .filter_map(|part| conforms(document, part, value, at).err())
            .collect();
        if failures.len() + 1 != one.len() {
            return Err(format!(
                "{at}: matches {} of oneOf, not exactly one: {failures:?}",
                one.len() - failures.len()
            ));
        }
    }
    if let Some(types) = match &schema["type"] {
        Value::String(name) => Some(vec![name.as_str()]),
        Value::Array(names) => Some(names.iter().filter_map(Value::as_str).collect()),
        _ => None,
    } {
        let fits = |name: &str| match name {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "string" => value.is_string(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        };
        if !types.iter().any(|name| fits(name)) {
            return Err(format!("{at}: {value} is not {types:?}"));
        }
    }
    if let Some(choices) = schema["enum"].as_array() {
        if !choices.contains(value) {
            return Err(format!("{at}: {value} is not one of {choices:?}"));
        }
    }
    if let (Some(minimum), Some(number)) = (schema["minimum"].as_f64(), value.as_f64()) {
        if number < minimum {
            return Err(format!("{at}: {number} is below {minimum}"));
        }
    }
    if let Some(text) = value.as_str() {
        let well_formed = match schema["format"].as_str() {
            Some("uuid") => text.parse::<uuid::Uuid>().is_ok(),
            Some("date") => domain::date::Date::parse(text).is_some(),
            _ => true,
        };
        if !well_formed {
            return Err(format!("{at}: {text:?} is not a {}", schema["format"]));
        }
    }
    if let Some(object) = value.as_object() {
        for name in schema["required"].as_array().into_iter().flatten() {
            let name = name.as_str().unwrap();
            if !object.contains_key(name) {
                return Err(format!("{at}: {name} is required"));
            }
        }
        let properties = schema["properties"].as_object();
        for (name, inner) in object {
            let inner_at = format!("{at}.{name}");
            match properties.and_then(|properties| properties.get(name)) {
                Some(property) => conforms(document, property, inner, &inner_at)?,
                None => match &schema["additionalProperties"] {
                    Value::Bool(false) => return Err(format!("{inner_at} is not allowed")),
                    Value::Object(_) => {
                        conforms(document, &schema["additionalProperties"], inner, &inner_at)?
                    }
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (index, item) in array.iter().enumerate() {
            conforms(document, items, item, &format!("{at}[{index}]"))?;
        }
    }
    Ok(())
}

fn request_schema<'d>(document: &'d Value, method: &str, path: &str) -> &'d Value {
    let schema =
        &document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "{method} {path} has no request schema");
    schema
}

fn response_schema<'d>(document: &'d Value, method: &str, path: &str, status: u16) -> &'d Value {
    let schema = &document["paths"][path][method]["responses"][status.to_string()]["content"]
        ["application/json"]["schema"];
    assert!(schema.is_object(), "{method} {path} {status} has no schema");
    schema
}

/// A real submission of every kind, as serde writes it: the fuzz seeds (one declaration per
/// kind), a check-in, gate scans of each kind of visitor and a deletion request.
fn submissions_of_every_kind() -> Vec<Value> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/seeds/submission");
    let mut submissions: Vec<Submission> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            serde_json::from_slice(&std::fs::read(entry.unwrap().path()).unwrap()).unwrap()
        })
        .collect();
    submissions.push(Submission {
        id: uuid::Uuid::from_u128(9),
        created_at_ms: 1_700_000_000_000,
        content: Content::CheckIn(CheckIn {
            visitor: Visitor {
                profile_id: uuid::Uuid::from_u128(7),
                full_name: "Nguyễn Văn An".into(),
                year_of_birth: 1985,
                phone: None,
                id_number: Some("079085001234".into()),
            },
            on_behalf: false,
            poster: "1.payload.signature".into(),
            visit_id: uuid::Uuid::from_u128(8),
            direction: Direction::Arrival,
        }),
    });
    let visitors = [
        GateVisitor::Pass("P1.C5WE+9OZA7OSUWG/34I$5K1".into()),
        GateVisitor::IdCard {
            masked_name: "NGUYỄN V. A".into(),
            masked_id_number: "******509".into(),
        },
        GateVisitor::Phone {
            masked_name: "NGUYỄN V. A".into(),
            masked_phone: "09******78".into(),
        },
        GateVisitor::Declared {
            declaration_id: uuid::Uuid::from_u128(30),
            masked_name: "NGUYỄN V. A".into(),
        },
    ];
    for (n, visitor) in visitors.into_iter().enumerate() {
        submissions.push(Submission {
            id: uuid::Uuid::from_u128(20 + n as u128),
            created_at_ms: 1_700_000_000_000,
            content: Content::GateScan(GateScan {
                venue_id: uuid::Uuid::from_u128(5),
                visitor,
                visit_id: uuid::Uuid::from_u128(8),
                direction: Direction::Departure,
            }),
        });
    }
    submissions.push(Submission {
        id: uuid::Uuid::from_u128(10),
        created_at_ms: 1_700_000_000_000,
        content: Content::Erasure(Erasure {}),
    });
    submissions
        .iter()
        .map(|submission| serde_json::to_value(submission).unwrap())
        .collect()
}

#[tokio::test]
async fn submissions_as_serde_writes_them_fit_the_documented_schema() {
    let document = openapi_document(&server().await).await;
    let schema = request_schema(&document, "post", "/api/v1/submissions");
    let submissions = submissions_of_every_kind();
    let mut kinds = BTreeSet::new();
    for submission in &submissions {
        conforms(&document, schema, submission, "submission").unwrap();
        kinds.insert(submission["content"]["kind"].as_str().unwrap().to_owned());
    }
    // Every kind serde knows is one the document lists, and no other.
    let all: BTreeSet<String> = domain::declaration::Kind::ALL
        .iter()
        .map(|kind| kind.name().to_owned())
        .chain(
            [
                domain::submission::CHECK_IN_KIND,
                domain::gate::GATE_SCAN_KIND,
                domain::submission::ERASURE_KIND,
            ]
            .map(str::to_owned),
        )
        .collect();
    assert_eq!(kinds, all);
    let documented: BTreeSet<String> = document["components"]["schemas"]["Content"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|variant| variant["properties"]["kind"]["enum"].as_array().unwrap())
        .map(|kind| kind.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(documented, all);
    // The top level is exactly what serde writes, all of it required.
    let submission = &document["components"]["schemas"]["Submission"];
    let required: BTreeSet<&str> = submission["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| name.as_str().unwrap())
        .collect();
    let written: BTreeSet<&str> = submissions[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(required, written);

    let batch = json!({ "items": submissions });
    let batch_schema = request_schema(&document, "post", "/api/v1/submissions/batch");
    conforms(&document, batch_schema, &batch, "batch").unwrap();

    // What serde refuses, the schema refuses too (so the checks above can fail).
    type Edit = fn(&mut Value);
    let edits: [(&str, Edit); 6] = [
        ("an unknown top-level field", |json| {
            json["extra"] = json!(1)
        }),
        ("an unknown kind", |json| {
            json["content"]["kind"] = json!("teleport")
        }),
        ("a wrongly typed kind", |json| {
            json["content"]["kind"] = json!(5)
        }),
        ("an unknown person field", |json| {
            json["content"]["body"]["person"]["nickname"] = json!("An")
        }),
        ("no profile id", |json| {
            json["content"]["body"]["person"]
                .as_object_mut()
                .unwrap()
                .remove("profile_id");
        }),
        ("a date that is no date", |json| {
            json["content"]["body"]["answers"]["entry_date"] = json!("21/11/2026")
        }),
    ];
    let entry = submissions
        .iter()
        .find(|submission| submission["content"]["kind"] == "entry")
        .unwrap();
    for (what, edit) in edits {
        let mut refused = entry.clone();
        edit(&mut refused);
        assert!(
            conforms(&document, schema, &refused, "submission").is_err(),
            "{what} fits the schema"
        );
        if what != "a date that is no date" {
            assert!(
                serde_json::from_value::<Submission>(refused).is_err(),
                "{what} is read by serde"
            );
        }
    }
}

#[tokio::test]
async fn answers_fit_their_documented_schemas() {
    let server = server().await;
    let document = openapi_document(&server).await;
    let good = support::daily_health(uuid::Uuid::new_v4(), true);
    let path = "/api/v1/submissions";
    let (status, receipt) = server.post(path, &good).await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    conforms(
        &document,
        response_schema(&document, "post", path, 201),
        &receipt,
        "receipt",
    )
    .unwrap();

    let mut bad = good.clone();
    bad["id"] = json!(uuid::Uuid::new_v4());
    bad["content"]["body"]["person"]["phone"] = json!("12345");
    bad["content"]["body"]["person"]["year_of_birth"] = json!(1899);
    let (status, error) = server.post(path, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(error["fields"].as_array().unwrap().len(), 2, "{error}");
    conforms(
        &document,
        response_schema(&document, "post", path, 422),
        &error,
        "error",
    )
    .unwrap();

    let path = "/api/v1/submissions/batch";
    let (status, results) = server
        .post(path, &json!({ "items": [good, bad, {"id": 5}] }))
        .await;
    assert_eq!(status, StatusCode::OK, "{results}");
    conforms(
        &document,
        response_schema(&document, "post", path, 200),
        &results,
        "results",
    )
    .unwrap();

    let (_, _, policy) = server.get("/api/v1/policy").await;
    let policy: Value = serde_json::from_str(&policy).unwrap();
    conforms(
        &document,
        response_schema(&document, "get", "/api/v1/policy", 200),
        &policy,
        "policy",
    )
    .unwrap();
}

#[tokio::test]
async fn policy_tells_the_validity_period() {
    let server = server().await;
    let (status, headers, body) = server.get("/api/v1/policy").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["declaration_validity_hours"], 24);
}

#[tokio::test]
async fn app_shell_is_revalidated_and_carries_the_csp() {
    let server = server().await;
    for path in ["/", "/profiles/new", "/some/unknown/screen"] {
        let (status, headers, body) = server.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(body, INDEX, "{path}");
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache", "{path}");
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        // sha256("boot()"), base64.
        assert!(csp.contains("'sha256-"), "{csp}");
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_the_worker_is_not() {
    let server = server().await;
    let (status, headers, _) = server.get("/pkg/0123456789ab/app.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let (status, headers, _) = server.get("/sw.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn missing_dist_is_a_clear_startup_error() {
    let data = tempfile::tempdir().unwrap();
    let config = server::Config {
        data_dir: data.path().to_owned(),
        database_url: None,
        rate_limit: None,
        dist: data.path().join("no-dist"),
        policy: Default::default(),
        retention_days: 21,
        code_sender: server::CodeSender::Log,
        limits: Default::default(),
        public_origin: None,
        trusted_proxies: Default::default(),
        clock: server::system_clock,
    };
    let error = server::build(&config).await.unwrap_err();
    assert!(format!("{error:#}").contains("build the app first"));
}

#[tokio::test]
async fn api_floods_get_429_with_retry_after_and_static_files_do_not() {
    let limit = server::RateLimit {
        per_second: std::num::NonZeroU32::new(1).unwrap(),
        burst: std::num::NonZeroU32::new(3).unwrap(),
    };
    let server = TestServer::start_limited(INDEX, &[], Some(limit)).await;
    for _ in 0..3 {
        let (status, _, _) = server.get("/api/v1/health").await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, headers, body) = server.get("/api/v1/health").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    assert!(body.contains("\"rate_limited\""), "{body}");
    let (status, _, _) = server.get("/").await;
    assert_eq!(status, StatusCode::OK);
}

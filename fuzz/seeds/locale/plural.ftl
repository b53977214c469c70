# One of each construct; the rest of the catalogue is missing, which the check reports.
app-name = Health declaration
home-intro =
    Declare for yourself
    and for family members.
born-in = Born { $year }
items-waiting =
    { $n ->
        [one] { $n } item waiting to be sent
       *[other] { $n } items waiting to be sent
    }

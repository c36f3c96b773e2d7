"""telecare: a telehealth clinic platform (patients, clinicians, video visits, prescriptions, labs, billing)."""

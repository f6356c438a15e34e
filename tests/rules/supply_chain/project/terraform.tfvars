monitoring_ref = "develop"

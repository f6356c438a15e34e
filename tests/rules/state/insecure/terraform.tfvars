network_state_url = "http://state.acme.internal/network"

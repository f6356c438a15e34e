"""Subnetwork purposes: only ordinary (private) subnetworks carry VM traffic, flow logs and
Private Google Access; proxy-only, Private Service Connect and NAT subnetworks do not."""

from __future__ import annotations

from tfguard.rules.kit.conditions import OneOf
from tfguard.rules.kit.declarative import When

# google provider (all majors): purpose defaults to PRIVATE.
ORDINARY_SUBNETWORK = When("purpose", OneOf("PRIVATE", "PRIVATE_RFC_1918"), "PRIVATE")

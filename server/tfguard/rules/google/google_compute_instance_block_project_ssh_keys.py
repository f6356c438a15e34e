from __future__ import annotations

from collections.abc import Iterable

from tfguard.findings import Severity
from tfguard.module import Entity, Module
from tfguard.rules.google._compute import (
    INSTANCES,
    flag_is,
    instance_default,
    metadata_flag,
    project_metadata_flag,
)
from tfguard.rules.kit.declarative import Check
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.values import Value


def _os_login(module: Module, entity: Entity) -> Value:
    for hit in lookup(module, entity, "metadata.enable-oslogin"):
        if hit.present:
            return metadata_flag(hit.value)
    return None


class GoogleComputeInstanceBlockProjectSshKeys(Check):
    id = "google-compute-instance-block-project-ssh-keys"
    title = "Compute instance accepts project-wide SSH keys"
    severity = Severity.MEDIUM
    rationale = (
        "Unless block-project-ssh-keys is TRUE, every SSH key in the project's metadata can "
        "log in to the instance: one leaked or forgotten key of any project member opens "
        "every VM of the project, and keys added for one machine silently grant access to "
        "all. Instances that use OS Login (on the instance or the whole project) ignore "
        "metadata keys and are not reported."
    )
    remediation = (
        'Add block-project-ssh-keys = "TRUE" to the instance metadata, or better enable OS '
        'Login (enable-oslogin = "TRUE" on the project metadata).'
    )
    links = (
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_instance#metadata",
        "https://cloud.google.com/compute/docs/connect/restrict-ssh-keys#block-keys",
    )
    aliases = (
        "CKV_GCP_32",
        "AVD-GCP-0030",
        "GCP-0030",
        "google-compute-no-project-wide-ssh-keys",
    )
    bad_example = """
resource "google_compute_instance" "app" {
  name         = "app"
  machine_type = "e2-medium"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "app"
  }
}
"""
    good_example = """
resource "google_compute_instance" "app" {
  name         = "app"
  machine_type = "e2-medium"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "app"
  }

  metadata = {
    block-project-ssh-keys = "TRUE"
  }
}

resource "google_compute_instance" "oslogin" {
  name         = "oslogin"
  machine_type = "e2-medium"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = "app"
  }

  metadata = {
    enable-oslogin = "TRUE"
  }
}
"""
    resource_types = INSTANCES
    attribute = "metadata.block-project-ssh-keys"
    condition = flag_is(True)
    default = False  # GCE: project keys are accepted unless blocked
    message = "{address} accepts project-wide SSH keys ({value})"
    missing_message = "{address} does not block project-wide SSH keys"
    fix_description = (
        "No automatic fix: the flag is a key of the metadata map (add block-project-ssh-keys "
        '= "TRUE"), and OS Login is usually the better change.'
    )

    def default_for(self, module: Module, entity: Entity) -> Value:
        return instance_default(entity, False)

    def subjects(self, module: Module) -> Iterable[Entity]:
        if project_metadata_flag(module, "enable-oslogin") is True:
            return []  # OS Login for the whole project: metadata keys are ignored
        return [e for e in super().subjects(module) if _os_login(module, e) is not True]

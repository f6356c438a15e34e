from __future__ import annotations

from tfguard.findings import Severity
from tfguard.rules.azure._aks import CLUSTER, HEAD
from tfguard.rules.azure._support import docs
from tfguard.rules.kit.conditions import Present
from tfguard.rules.kit.declarative import Check


class AzureAksDiskEncryptionSet(Check):
    id = "azure-aks-disk-encryption-set"
    title = "AKS node disks are not encrypted with a customer-managed key"
    severity = Severity.LOW
    rationale = (
        "Node OS and data disks hold container images, logs, emptyDir volumes and sometimes "
        "secrets written to disk. Without a disk encryption set they are encrypted with a "
        "Microsoft-managed key you cannot rotate, audit or revoke."
    )
    remediation = (
        "Create an azurerm_disk_encryption_set backed by a Key Vault key and set "
        "disk_encryption_set_id on the cluster (at creation time)."
    )
    links = (
        docs("kubernetes_cluster", "disk_encryption_set_id"),
        "https://learn.microsoft.com/en-us/azure/aks/azure-disk-customer-managed-keys",
    )
    aliases = (
        "CKV_AZURE_117",
        "AVD-AZU-0067",
        "AZU-0067",
        "azure-container-enable-disk-encryption",
    )
    bad_example = f"""
{HEAD}
}}
"""
    good_example = f"""
{HEAD}

  disk_encryption_set_id = azurerm_disk_encryption_set.aks.id
}}
"""
    resource_types = (CLUSTER,)
    attribute = "disk_encryption_set_id"
    condition = Present()
    message = "AKS cluster {address} has no disk encryption set"
    missing_message = (
        "AKS cluster {address} encrypts node disks with a Microsoft-managed key (no "
        "disk_encryption_set_id)"
    )
    fix_description = "No automatic fix: the encryption set and its key must exist first."

from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Fix
from tfguard.module import Module
from tfguard.rules.azure._storage import container_grants, nested_public
from tfguard.rules.azure._support import docs
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import set_attributes_fix


class AzureStorageContainerPrivate(Rule):
    id = "azure-storage-container-private"
    title = "Blob container allows anonymous access"
    severity = Severity.HIGH
    rationale = (
        'container_access_type = "blob" lets anyone on the internet read every blob whose '
        'name they know; "container" also lets them list the container. No credential or '
        "signature is needed and no access is logged against an identity, so leaked data "
        "cannot even be attributed. Unless the container exists to serve public files, it "
        "should be private."
    )
    remediation = (
        'Set container_access_type = "private" (the default) and hand out shared access '
        "signatures or Entra ID roles to the readers; serve public assets through a CDN."
    )
    links = (
        docs("storage_container", "container_access_type"),
        "https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-configure",
    )
    aliases = ("CKV_AZURE_34", "AVD-AZU-0007", "AZU-0007", "azure-storage-no-public-access")
    bad_example = """
resource "azurerm_storage_account" "data" {
  name                     = "contosodata"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"
}

resource "azurerm_storage_container" "reports" {
  name                  = "reports"
  storage_account_id    = azurerm_storage_account.data.id
  container_access_type = "container"
}
"""
    good_example = """
resource "azurerm_storage_container" "reports" {
  name                  = "reports"
  storage_account_id    = azurerm_storage_account.data.id
  container_access_type = "private"
}

resource "azurerm_storage_container" "uploads" {
  name               = "uploads"
  storage_account_id = azurerm_storage_account.data.id
}
"""
    fix_description = (
        'Sets container_access_type = "private". Unsafe: a container that serves '
        "public files on purpose stops working for anonymous readers."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for grant in container_grants(ctx.module):
            severity = self.severity
            note = ""
            related = []
            if grant.target is not None:
                related = [(grant.target, grant.target.block, "the storage account")]
                if nested_public(ctx.module, grant.target) is False:
                    severity = Severity.LOW
                    note = (
                        f" (the account {grant.target.address} disallows public containers, "
                        "so Azure refuses this setting)"
                    )
            yield ctx.report(
                grant.entity,
                grant.anchor,
                f"Blob container {grant.entity.address} lets {grant.who} {grant.access}{note}",
                severity=severity,
                related=related,
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        return set_attributes_fix(
            module,
            finding,
            "Make the container private",
            {"container_access_type": '"private"'},
            literal_only=True,
            applicability="unsafe",
            consequence="anonymous readers of a container public on purpose lose access",
        )

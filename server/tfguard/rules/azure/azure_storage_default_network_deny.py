from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, attribute_at, block_at
from tfguard.module import Module
from tfguard.rules.azure._storage import ACCOUNT, account_of
from tfguard.rules.azure._support import docs
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import is_literal
from tfguard.rules.kit.paths import lookup
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import UNKNOWN, as_bool, as_string

COMPANION = "azurerm_storage_account_network_rules"
_RULES_BLOCK = """network_rules {
  default_action = "Deny"
  bypass         = ["AzureServices"]
}"""


def _allows(value: object) -> bool | None:
    text = as_string(value)
    if text is UNKNOWN or not isinstance(text, str):
        return None
    return text.strip().lower() == "allow"


class AzureStorageDefaultNetworkDeny(Rule):
    id = "azure-storage-default-network-deny"
    title = "Storage account accepts traffic from any network"
    severity = Severity.MEDIUM
    rationale = (
        "A storage account whose network rules default to Allow (or that has no network rules "
        "at all, which Azure treats the same way) answers requests from every network on the "
        "internet. Any leaked account key, shared access signature or over-broad role is then "
        "usable from anywhere. A default of Deny with the allowed subnets, addresses and "
        "trusted Azure services listed limits the blast radius of a leaked credential."
    )
    remediation = (
        'Add network_rules { default_action = "Deny" } (or an '
        "azurerm_storage_account_network_rules resource) listing the subnets and addresses "
        'that need access and bypass = ["AzureServices"]; or set '
        "public_network_access_enabled = false and reach the account through a private "
        "endpoint."
    )
    links = (
        docs("storage_account", "network_rules"),
        docs("storage_account_network_rules"),
        "https://learn.microsoft.com/en-us/azure/storage/common/storage-network-security",
    )
    aliases = (
        "CKV_AZURE_35",
        "AVD-AZU-0012",
        "AZU-0012",
        "azure-storage-default-action-deny",
    )
    bad_example = """
resource "azurerm_storage_account" "data" {
  name                     = "contosodata"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"

  network_rules {
    default_action = "Allow"
  }
}

resource "azurerm_storage_account" "logs" {
  name                     = "contosologs"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
"""
    bad_example_findings = 2
    good_example = """
resource "azurerm_storage_account" "data" {
  name                     = "contosodata"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"

  network_rules {
    default_action             = "Deny"
    bypass                     = ["AzureServices"]
    virtual_network_subnet_ids = [azurerm_subnet.app.id]
  }
}

resource "azurerm_storage_account" "logs" {
  name                     = "contosologs"
  resource_group_name      = "rg-data"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_account_network_rules" "logs" {
  storage_account_id = azurerm_storage_account.logs.id
  default_action     = "Deny"
  bypass             = ["AzureServices"]
}

resource "azurerm_storage_account" "private" {
  name                          = "contosoprivate"
  resource_group_name           = "rg-data"
  location                      = "westeurope"
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = false
}
"""
    fix_description = (
        'Sets default_action = "Deny", or adds a network_rules block with default_action = '
        '"Deny" and bypass = ["AzureServices"]. Unsafe: clients that are not listed '
        "(Terraform itself managing containers from outside the network included) lose access."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        companions = live(module, COMPANION)
        linked: dict[int, list[object]] = {}
        complete = True
        for companion in companions:
            account, readable = account_of(module, companion)
            complete = complete and readable
            if account is not None:
                linked.setdefault(id(account), []).append(companion)
            for hit in lookup(module, companion, "default_action"):
                if hit.present and _allows(hit.value):
                    yield ctx.report(
                        companion,
                        hit.anchor,
                        f"{companion.address} lets every network reach the storage account "
                        '(default_action = "Allow")',
                    )
        for account in live(module, ACCOUNT):
            public = lookup(module, account, "public_network_access_enabled")[0]
            if public.present and as_bool(public.value) is not True:
                continue  # disabled, or unknown
            hits = [h for h in lookup(module, account, "network_rules.default_action")]
            inline = [h for h in hits if h.attribute is not None or h.holder is not account.block]
            if inline:
                for hit in inline:
                    if hit.present and _allows(hit.value):
                        yield ctx.report(
                            account,
                            hit.anchor,
                            f"Storage account {account.address} accepts traffic from every "
                            'network (network_rules default_action = "Allow")',
                        )
                continue
            if id(account) in linked or not complete:
                continue
            anchor = public.anchor if public.present else account.block
            yield ctx.report(
                account,
                anchor,
                f"Storage account {account.address} has no network rules: it accepts traffic "
                "from every network",
                data={"missing": True},
            )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        editor = Editor(module)
        at = attribute_at(module, finding)
        if at is not None and at[2].name == "default_action":
            entity, _, attr = at
            if not is_literal(attr):
                return []
            edit = editor.replace_value(entity, attr, '"Deny"')
            return [Fix('Set default_action = "Deny"', (edit,), "unsafe", _CONSEQUENCE)]
        if not finding.data.get("missing"):
            return []
        header = block_at(module, finding)
        target = header if header is not None else (at[0], at[0].block) if at else None
        if target is None:
            return []
        entity, _ = target
        edit = editor.insert_block(entity, entity.block, _RULES_BLOCK)
        return [Fix("Add network_rules denying other networks", (edit,), "unsafe", _CONSEQUENCE)]


_CONSEQUENCE = "clients that are not listed lose access"

from __future__ import annotations

from collections.abc import Iterator

from tfguard.findings import Finding, Severity
from tfguard.fixes import Editor, Fix, TextEdit, block_at, entity_for
from tfguard.module import Entity, Module
from tfguard.rules.azure._support import docs
from tfguard.rules.base import Context, Rule
from tfguard.rules.kit.fixing import is_literal
from tfguard.rules.kit.paths import nested_blocks
from tfguard.rules.kit.resources import live
from tfguard.rules.kit.values import as_bool
from tfguard.syntax import Block

OPERATIONS = ("delete", "read", "write")
_LOGGING = """logging {
  delete                = true
  read                  = true
  write                 = true
  version               = "1.0"
  retention_policy_days = 90
}"""


def _queue_blocks(entity: Entity) -> list[Block]:
    """The blocks that hold queue logging settings: the account's queue_properties blocks,
    or the azurerm_storage_account_queue_properties resource itself."""
    if entity.type == "azurerm_storage_account_queue_properties":
        return [entity.block]
    return [b for b, dynamic in nested_blocks(entity.block, "queue_properties") if not dynamic]


class AzureStorageQueueLogging(Rule):
    id = "azure-storage-queue-logging"
    title = "Storage queue service does not log read, write and delete requests"
    severity = Severity.LOW
    rationale = (
        "Queue messages often carry commands and data between services. Without Storage "
        "Analytics logging of read, write and delete requests there is no record of who "
        "consumed, injected or removed messages, so tampering or abuse of a leaked key "
        "cannot be investigated."
    )
    remediation = (
        "Add a logging block (delete, read and write = true, a version and a retention) to "
        "queue_properties, or to the azurerm_storage_account_queue_properties resource in "
        "azurerm 4.x; or send the queue service's StorageRead/StorageWrite/StorageDelete "
        "logs to Log Analytics with a diagnostic setting."
    )
    links = (
        docs("storage_account", "logging"),
        docs("storage_account_queue_properties"),
        "https://learn.microsoft.com/en-us/azure/storage/common/storage-analytics-logging",
    )
    aliases = (
        "CKV_AZURE_33",
        "AVD-AZU-0009",
        "AZU-0009",
        "azure-storage-queue-services-logging-enabled",
    )
    bad_example = """
resource "azurerm_storage_account" "jobs" {
  name                     = "contosojobs"
  resource_group_name      = "rg-jobs"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"

  queue_properties {
    logging {
      delete                = true
      read                  = false
      write                 = true
      version               = "1.0"
      retention_policy_days = 30
    }
  }
}
"""
    good_example = """
resource "azurerm_storage_account" "jobs" {
  name                     = "contosojobs"
  resource_group_name      = "rg-jobs"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_account_queue_properties" "jobs" {
  storage_account_id = azurerm_storage_account.jobs.id

  logging {
    delete                = true
    read                  = true
    write                 = true
    version               = "1.0"
    retention_policy_days = 30
  }
}
"""
    fix_description = (
        "Sets the operations that are off to true, or adds a logging block logging all "
        "three with a 90-day retention. Accounts that write no queue_properties are not "
        "reported: the rule cannot tell whether they use queues."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        module = ctx.module
        types = ("azurerm_storage_account", "azurerm_storage_account_queue_properties")
        for entity in live(module, *types):
            for holder in _queue_blocks(entity):
                logs = [b for b, dynamic in nested_blocks(holder, "logging")]
                if not logs:
                    yield ctx.report(
                        entity,
                        holder,
                        f"{entity.address} configures the queue service without logging",
                        data={"missing": True},
                    )
                    continue
                for log in logs:
                    off = []
                    for name in OPERATIONS:
                        attr = log.attr(name)
                        if attr is None or as_bool(module.cached_value(attr.value)) is False:
                            off.append(name)
                    if off:
                        anchor = log.attr(off[0]) or log
                        yield ctx.report(
                            entity,
                            anchor,
                            f"{entity.address} does not log queue {', '.join(off)} requests",
                            data={"off": off},
                        )

    def fixes(self, finding: Finding, module: Module) -> list[Fix]:
        editor = Editor(module)
        entity = entity_for(module, finding)
        if entity is None:
            return []
        if finding.data.get("missing"):
            header = block_at(module, finding)
            if header is None:
                return []
            edit = editor.insert_block(header[0], header[1], _LOGGING)
            return [Fix("Log queue read, write and delete requests", (edit,), applicability="safe")]
        off = finding.data.get("off")
        if not isinstance(off, list):
            return []
        for holder in _queue_blocks(entity):
            for log, _ in nested_blocks(holder, "logging"):
                first = log.attr(str(off[0])) or log
                place = first.header_range if isinstance(first, Block) else first.range
                if entity.abs(place) != finding.range:
                    continue
                edits: list[TextEdit] = []
                for name in off:
                    attr = log.attr(str(name))
                    if attr is None:
                        edits.append(editor.insert_attribute(entity, log, str(name), "true"))
                    elif is_literal(attr):
                        edits.append(editor.replace_value(entity, attr, "true"))
                    else:
                        return []
                return [Fix("Log all queue requests", tuple(edits), applicability="safe")]
        return []

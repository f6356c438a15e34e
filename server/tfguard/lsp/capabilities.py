"""What the client can do, read once from its ``initialize`` capabilities."""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types


@dataclass(frozen=True)
class ClientFeatures:
    """What the client told us it can do, decided once at ``initialize``."""

    pull: bool = False
    diagnostic_refresh: bool = False
    configuration: bool = False
    watched_files_registration: bool = False
    configuration_registration: bool = False
    progress: bool = False
    show_document: bool = False
    code_action_resolve: bool = False
    document_changes: bool = False
    create_files: bool = False
    markdown_hover: bool = True

    @classmethod
    def of(cls, caps: types.ClientCapabilities) -> ClientFeatures:
        text = caps.text_document
        workspace = caps.workspace
        window = caps.window
        code_action = text.code_action if text else None
        resolve = code_action.resolve_support if code_action else None
        literals = bool(code_action and code_action.code_action_literal_support)
        workspace_edit = workspace.workspace_edit if workspace else None
        operations = (workspace_edit.resource_operations if workspace_edit else None) or ()
        hover_formats = text.hover.content_format if text and text.hover else None
        return cls(
            pull=bool(text and text.diagnostic is not None),
            diagnostic_refresh=bool(
                workspace and workspace.diagnostics and workspace.diagnostics.refresh_support
            ),
            configuration=bool(workspace and workspace.configuration),
            watched_files_registration=bool(
                workspace
                and workspace.did_change_watched_files
                and workspace.did_change_watched_files.dynamic_registration
            ),
            configuration_registration=bool(
                workspace
                and workspace.did_change_configuration
                and workspace.did_change_configuration.dynamic_registration
            ),
            progress=bool(window and window.work_done_progress),
            show_document=bool(window and window.show_document and window.show_document.support),
            # Lazy edits only for clients that take CodeAction literals and resolve their edit.
            code_action_resolve=literals and bool(resolve and "edit" in resolve.properties),
            document_changes=bool(workspace_edit and workspace_edit.document_changes),
            create_files=types.ResourceOperationKind.Create in operations,
            markdown_hover=hover_formats is None or types.MarkupKind.Markdown in hover_formats,
        )

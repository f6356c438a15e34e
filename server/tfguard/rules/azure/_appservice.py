"""App Service resource types (web apps, function apps, their slots, and the legacy 3.x
resources) and example text shared by the App Service rules."""

from __future__ import annotations

WEB_APPS = (
    "azurerm_linux_web_app",
    "azurerm_windows_web_app",
    "azurerm_linux_web_app_slot",
    "azurerm_windows_web_app_slot",
)
FUNCTION_APPS = (
    "azurerm_linux_function_app",
    "azurerm_windows_function_app",
    "azurerm_linux_function_app_slot",
    "azurerm_windows_function_app_slot",
)
# azurerm 3.x only (removed in 4.x).
LEGACY = (
    "azurerm_app_service",
    "azurerm_app_service_slot",
    "azurerm_function_app",
    "azurerm_function_app_slot",
)
ALL_APPS = (*WEB_APPS, *FUNCTION_APPS, *LEGACY)
CURRENT_APPS = (*WEB_APPS, *FUNCTION_APPS)

# The first lines of an example web app; each example adds what it shows and closes it.
HEAD = """resource "azurerm_linux_web_app" "api" {
  name                = "app-contoso-api"
  resource_group_name = "rg-web"
  location            = "westeurope"
  service_plan_id     = azurerm_service_plan.main.id"""

"""``fireside login <platform>``: a delegated Microsoft Entra ID sign-in, once, by device code.

The sync account's owner runs it on their own machine. msal shows a code to enter at
https://microsoft.com/devicelogin, waits for the sign-in, and the token cache (with its refresh
token) is written where ``entra.token_cache`` says, mode 0600. Later syncs refresh silently;
when the sign-in expires or is revoked, sync stops with exit 1 and asks for a new login.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from fireside.core.settings import SettingsError, load_settings
from fireside.discussions.platforms import PLATFORMS, display_name
from fireside_sync.auth import EntraSignIn, forbidden_cache_folders
from fireside_sync.errors import ConfigError
from fireside_sync.report import EXIT_FATAL, EXIT_OK

#: Platforms whose section may use ``entra``.
MICROSOFT = ("yammer", "teams", "sharepoint")


def build_parser() -> argparse.ArgumentParser:
    """The ``fireside login`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="fireside login",
        description="Sign the sync account in to Microsoft Entra ID (device code) and keep "
                    "the token cache where fireside.platforms.<platform>.entra.token_cache "
                    "says. Run it again when sync reports an expired sign-in.")
    parser.add_argument("platform", choices=[p for p in MICROSOFT if p in PLATFORMS])
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                        help="the site's mkdocs.yml (default: ./mkdocs.yml)")
    return parser


def main(argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None,
         stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run ``fireside login`` with ``argv``; return the exit code (0 signed in, 1 not)."""
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        message = login(args.config_file, args.platform,
                        os.environ if env is None else env, out)
    except (SettingsError, ConfigError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_FATAL
    print(message, file=out)
    return EXIT_OK


def login(config_file: Path, platform: str, env: Mapping[str, str], out: TextIO) -> str:
    """Run the device-code flow and write the cache; return what to tell the user.

    Raises:
        SettingsError: The configuration is invalid.
        ConfigError: The platform is not set up for a delegated sign-in, or it failed.
    """
    settings = load_settings(config_file)
    section = settings.platforms.get(platform)
    where = f"fireside.platforms.{platform}"
    if section is None or section.entra is None:
        raise ConfigError(f"{where} has no 'entra:' section; add tenant_id, client_id and "
                          "token_cache to sign in with Microsoft Entra ID")
    if section.entra.flow != "delegated":
        raise ConfigError(f"{where}.entra uses an app credential ({section.entra.flow}); "
                          "there is nothing to sign in to")
    path = section.entra.token_cache
    if path is None:
        raise ConfigError(f"{where}.entra.token_cache: required for 'fireside login' (the "
                          "file the sign-in is kept in)")
    sign_in = EntraSignIn(section, env, forbidden=forbidden_cache_folders(settings))
    try:
        result = _device_code(sign_in, platform, out)
    finally:
        sign_in.close()
    claims = result.get("id_token_claims") or {}
    who = claims.get("preferred_username") or claims.get("name") or "the sync account"
    secret = f"FIRESIDE_{platform.upper()}_TOKEN_CACHE"
    return (f"Signed in to {display_name(platform)} as {who}.\n"
            f"The sign-in is kept in {path} (readable by you only). 'fireside sync' refreshes "
            "it silently; when it expires (after about 90 days unused) or is revoked, sync "
            f"stops and asks you to run 'fireside login {platform}' again.\n"
            f"For CI: store the file's contents as a secret named {secret} and set "
            f"'token_cache_env: {secret}' under {where}.entra (or write the secret to "
            f"{path.name} with mode 0600 before 'fireside sync'). Never commit the file.")


def _device_code(sign_in: EntraSignIn, platform: str, out: TextIO) -> dict[str, Any]:
    """Show the code, wait for the sign-in, save the cache; return msal's result."""
    app = sign_in.public_app()
    flow = sign_in.call(lambda: app.initiate_device_flow(scopes=sign_in.scopes))
    if "user_code" not in flow:
        raise ConfigError(f"{platform}: Microsoft Entra ID did not start the sign-in: "
                          f"{flow.get('error') or 'no device code'}; check entra.client_id "
                          "and that the app registration allows public client flows")
    print(flow["message"], file=out, flush=True)
    result: dict[str, Any] = sign_in.call(lambda: app.acquire_token_by_device_flow(flow))
    if "access_token" not in result:
        raise ConfigError(f"{platform}: the sign-in did not complete "
                          f"({result.get('error') or 'no token'}); nothing was saved")
    sign_in.save_cache()
    return result

"""The footer of every screen and dialog: the keys that work where the focus is."""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's footer, built again only when the keys it shows change.

    Textual's own footer builds and styles all its keys anew each time a screen's
    bindings may have changed, which is on every focus move and screen resume.
    Most of those leave the shown keys as they were.
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys_shown: Hashable = None
        self._check_pending = False

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._keys_shown = self._keys_to_show(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._check_pending:
            self._check_pending = True
            self.call_after_refresh(self._compose_if_keys_changed)

    async def _compose_if_keys_changed(self) -> None:
        self._check_pending = False
        if self.is_attached and self._keys_to_show(self.screen) != self._keys_shown:
            await self.recompose()

    def _keys_to_show(self, screen: Screen[object]) -> Hashable:
        palette_key = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (binding, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == palette_key
        )

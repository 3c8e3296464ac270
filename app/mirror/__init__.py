"""The offline mirror: one SQLite copy of a store, its sync, its outbox of offline edits
and its drafts, behind one service (`app.mirror.service.MirrorService`).

Only this package touches SQLite for the mirror. Every database call runs on the store's
single worker thread (`MirrorStore`), never on the Qt/asyncio thread. Code outside the
package imports `app.mirror.service` only (an import contract).
"""

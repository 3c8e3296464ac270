"""The customer list: server-side search, filters and sort, fetched page by page."""

from __future__ import annotations

import asyncio
from enum import IntEnum
from typing import Any

from babel import Locale
from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from app.domain.controls import visible
from app.domain.customer import CustomerSummary
from app.domain.query import MIRROR_ONLY_SORTS, CustomerQuery, Page, Sort, SortField
from app.services.customers import CustomerService
from app.services.figures_text import stats_cells
from ui.formatting import desk_locale, local_date, local_datetime, zone_name
from ui.models.paged import ROOT, PagedTableModel

Index = QModelIndex | QPersistentModelIndex

CUSTOMER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CUSTOMER_ROLE = Qt.ItemDataRole.UserRole + 2  # the CustomerSummary itself
# How long the count of a search the mirror answers waits for the next keystroke.
COUNT_PAUSE_S = 0.1
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ROLES = frozenset(
    {_DISPLAY, _ALIGN, int(Qt.ItemDataRole.ToolTipRole), CUSTOMER_ID_ROLE, CUSTOMER_ROLE}
)


class Column(IntEnum):
    NAME = 0
    EMAIL = 1
    PHONE = 2
    COMPANY = 3
    ACCOUNT = 4
    GROUPS = 5
    CREATED = 6
    UPDATED = 7
    # Order figures, from the mirror's copy of the orders (blank on rows the store sent).
    ORDERS = 8
    SPENT = 9
    LAST_ORDER = 10


TITLES = [
    "Name",
    "Email",
    "Phone",
    "Company",
    "Account",
    "Groups",
    "Created",
    "Updated",
    "Orders",
    "Spent",
    "Last order",
]
FIGURE_COLUMNS = frozenset({Column.ORDERS, Column.SPENT, Column.LAST_ORDER})
NUMBER_COLUMNS = frozenset({Column.ORDERS, Column.SPENT})  # right-aligned
_COLUMNS = tuple(Column)  # by index, without building the enum member per cell


def titles() -> list[str]:
    """The headers; the time columns name the zone their times are in."""
    zone = zone_name()
    return [
        f"{t} ({zone})" if c in (Column.CREATED, Column.UPDATED, Column.LAST_ORDER) else t
        for c, t in zip(Column, TITLES, strict=True)
    ]


# Columns the server can sort by; the others ignore a header click.
SORT_FIELDS: dict[Column, SortField] = {
    Column.NAME: SortField.LAST_NAME,
    Column.EMAIL: SortField.EMAIL,
    Column.PHONE: SortField.PHONE,
    Column.COMPANY: SortField.COMPANY,
    Column.ACCOUNT: SortField.HAS_ACCOUNT,
    Column.CREATED: SortField.CREATED_AT,
    Column.UPDATED: SortField.UPDATED_AT,
    Column.ORDERS: SortField.ORDER_COUNT,
    Column.SPENT: SortField.SPENT,
    Column.LAST_ORDER: SortField.LAST_ORDER_AT,
}


def sortable_fields(
    service: CustomerService | None, figures_reason: str | None
) -> frozenset[SortField]:
    """What a header click may sort by: the store's sorts, and the order figures' while
    the mirror answers them (`figures_reason` None)."""
    if service is None:
        return frozenset()
    return service.sort_fields | (MIRROR_ONLY_SORTS if figures_reason is None else frozenset())


def _cell(customer: CustomerSummary, column: Column, locale: Locale) -> str:
    # Customers name themselves on the storefront: control characters show as symbols.
    return visible(_text(customer, column, locale))


def _text(customer: CustomerSummary, column: Column, locale: Locale) -> str:
    match column:
        case Column.NAME:
            return customer.full_name
        case Column.EMAIL:
            return customer.email or ""
        case Column.PHONE:
            return customer.phone or ""
        case Column.COMPANY:
            return customer.company or ""
        case Column.ACCOUNT:
            return "Yes" if customer.has_account else "Guest"
        case Column.GROUPS:
            return ", ".join(g.name for g in customer.groups)
        case Column.CREATED:
            return local_datetime(customer.created_at, labelled=False)
        case Column.UPDATED:
            return local_datetime(customer.updated_at, labelled=False)
        case Column.ORDERS | Column.SPENT | Column.LAST_ORDER:
            orders, spent, last = stats_cells(customer.orders, locale)
            if column is Column.ORDERS:
                return orders
            if column is Column.SPENT:
                return spent
            return local_date(last) if last is not None else ""


def _spent_elsewhere(customer: CustomerSummary) -> bool:
    """Orders, none of them in the store's main currency (the Spent column's)."""
    stats = customer.orders
    return stats is not None and stats.order_count > 0 and stats.spent is None


class CustomerTableModel(PagedTableModel[CustomerSummary]):
    def __init__(
        self, service: CustomerService | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__("customer list", parent)
        self._service = service
        self._query = CustomerQuery()
        # Why the order figures cannot be sorted by now (None: they can).
        self.figures_reason: str | None = None
        self.locale = desk_locale()  # numbers and money (read once, not per cell)
        self._estimate: tuple[int, int] | None = None  # (generation, about how many)
        self._phones: dict[str | None, str] = {}  # as shown, per stored number

    @property
    def query(self) -> CustomerQuery:
        return self._query

    def set_service(self, service: CustomerService | None) -> None:
        self._service = service
        self._phones = {}  # another store may have another country
        self.clear()  # reset_query() loads the first page

    def reset_query(self, query: CustomerQuery) -> None:
        """Cancel the running fetch and show the first page of `query`."""
        self._query = query
        self.tasks.cancel("count")  # the old query's count: nobody waits for it
        if self._service is not None:
            self.restart()

    def refresh(self) -> None:
        self.reset_query(self._query)

    def set_figures_reason(self, reason: str | None) -> None:
        if reason != self.figures_reason:
            self.figures_reason = reason
            first, last = min(FIGURE_COLUMNS), max(FIGURE_COLUMNS)
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, first, last)

    def sortable_fields(self) -> frozenset[SortField]:
        return sortable_fields(self._service, self.figures_reason)

    async def load_page(self, token: str | None) -> Page[CustomerSummary]:
        assert self._service is not None
        page = await self._service.search(self._query, token, count=False)
        if token is None and page.total is None and page.next_token is not None:
            # Rows first, the count right after (a broad search takes longer to count).
            self.tasks.run_latest("count", self._count(self._generation, self._query))
        return page

    async def _count(self, generation: int, query: CustomerQuery) -> None:
        assert self._service is not None
        if self._random_access:
            # Searching as staff type: a count waits for a pause in the typing, so the
            # mirror's one worker thread is not busy counting a term already typed past
            # when the next keystroke's rows are asked for (the next query cancels this).
            await asyncio.sleep(COUNT_PAUSE_S)
        # At a million customers a broad term takes 50-150 ms to count exactly: a cheap
        # count (or "about N") shows at once, the exact one replaces it when known.
        guess = await self._service.count_estimate(query)
        if generation != self._generation:
            return
        if guess is not None and guess.exact:
            self._set_total(guess.value)
            return
        if guess is not None and guess.value is not None:
            self._estimate = (generation, guess.value)
            self.totalChanged.emit(-1)  # the total is still unknown; the count line says "about"
        total = await self._service.count(query)
        if total is not None and generation == self._generation:
            self._set_total(total)

    @property
    def estimate(self) -> int | None:
        """About how many customers match while the exact count is under way, else None."""
        if self._estimate is None or self.total is not None:
            return None
        generation, value = self._estimate
        return value if generation == self._generation else None

    def reads_positions(self) -> bool:
        return self._service is not None and self._service.lists_from_mirror()

    async def load_window(self, offset: int, size: int, total: int) -> list[CustomerSummary]:
        assert self._service is not None
        return await self._service.page_at(self._query, offset, size, total=total)

    def key_of(self, item: CustomerSummary) -> object:
        return item.id

    def row_of(self, customer_id: str) -> int | None:
        return self.row_of_key(customer_id)

    def update_customer(self, customer: CustomerSummary) -> None:
        row = self.row_of(customer.id)
        if row is not None:
            self.replace_row(row, customer)

    def remove_customer(self, customer_id: str) -> None:
        row = self.row_of(customer_id)
        if row is not None:
            self.remove_row(row)

    # --- Qt ----------------------------------------------------------------------------

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(Column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every cell of every paint: roles the list does not
        # answer leave first, and nothing here builds what it can look up.
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._items):
            return None
        customer = self._items[row]
        if customer is None:  # random access: shown empty until its window is read
            if role == _DISPLAY:
                self.want_row(row)
            return None
        if role == CUSTOMER_ID_ROLE:
            return customer.id
        if role == CUSTOMER_ROLE:
            return customer
        column = _COLUMNS[index.column()]
        if role == _DISPLAY:
            if column is Column.PHONE and self._service is not None:
                return self._phone(customer.phone)  # grouped; stored as is
            if column is Column.SPENT and _spent_elsewhere(customer):
                return "—"  # a blank beside "2" orders read as missing data
            return _cell(customer, column, self.locale)
        if role == _ALIGN:
            if column in NUMBER_COLUMNS:
                return _RIGHT
            return None
        if column is Column.GROUPS:  # the tooltip: the whole list of groups
            return _cell(customer, column, self.locale) or None
        if column in FIGURE_COLUMNS:
            if customer.orders is None:
                return "Order figures come from the local copy of the store's orders."
            if column is Column.SPENT and _spent_elsewhere(customer):
                return (
                    "No orders in the store's main currency: the editor's header shows "
                    "what was spent in each currency."
                )
            if column is Column.SPENT:
                return "Net of refunds, in the store's main currency; cancelled orders left out."
        return None

    def _phone(self, value: str | None) -> str:
        assert self._service is not None
        shown = self._phones.get(value)
        if shown is None:
            shown = self._phones[value] = self._service.format_phone(value)
        return shown

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if (
            horizontal
            and role == Qt.ItemDataRole.ToolTipRole
            and 0 <= section < len(Column)
            and Column(section) in FIGURE_COLUMNS
        ):
            # Sorting that cannot be had says why, where staff point at it.
            if self.figures_reason is not None:
                return f"{self.figures_reason} Until then this column cannot be sorted."
            return "From the local copy of the store's orders; click to sort."
        if int(role) != _DISPLAY:
            return None  # asked for every role of every section at each paint: no titles
        return self.header_for(section, orientation, role, titles())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        field = SORT_FIELDS.get(Column(column)) if 0 <= column < len(Column) else None
        if field is None or (self._service is not None and field not in self.sortable_fields()):
            return  # the store cannot sort by it (the window says so)
        sort = Sort(field=field, descending=order == Qt.SortOrder.DescendingOrder)
        if sort != self._query.sort:
            self.reset_query(self._query.model_copy(update={"sort": sort}))

"""Type stub for the optional C batch path of the zone audit (src/idnkit/audit/_fast.c)."""

from array import array

Tables = tuple[tuple[bytes, ...], ...]
Batch = tuple[bytes, tuple[bytes, ...], tuple[int, int, int, int, int], list[object]]

def audit_items(
    items: list[tuple[bytes, int, int]],
    suffix: bytes,
    root: bool,
    origin_labels: int,
    ns: int,
    addr: int,
    tables: Tables,
    /,
) -> tuple[bytes, tuple[bytes, ...], tuple[int, int, int, int, int], list[int]]: ...
def audit_list(
    data: bytes,
    start_line: int,
    max_line: int,
    suffix: bytes,
    root: bool,
    origin_labels: int,
    ns: int,
    addr: int,
    tables: Tables,
    /,
) -> (
    tuple[
        tuple[bytes, tuple[bytes, ...], tuple[int, int, int, int, int], list[tuple[bytes, int, int]]],
        int,
        bytes | None,
        bytes | None,
    ]
    | None
): ...
def sort_hashes(hashes: array[int], /) -> None: ...
def name_hash(data: bytes, /) -> int: ...

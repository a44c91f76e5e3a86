"""Path converters shared by every URLconf (registered once, in CoreConfig.ready)."""

# The largest id a database id column holds (64-bit signed integer). Larger numbers reached the queries and crashed
# them (SQLite: OverflowError; PostgreSQL: bigint out of range) instead of giving "not found".
MAX_ID = 2**63 - 1


class IdConverter:
    """`<id:pk>`: an object id, 0 to 2^63 - 1; any other path does not match, hence 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")  # the resolver reads it as "no match"
        return number

    def to_url(self, value) -> str:
        return str(value)

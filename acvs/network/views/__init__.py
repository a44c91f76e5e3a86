"""Network management pages: départements, offices, people and memberships; plus the office switcher."""

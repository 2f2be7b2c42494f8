"""The meeting domain: rooms, members, relay and screen-share arbitration. Never imports Tornado."""

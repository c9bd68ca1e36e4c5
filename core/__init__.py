"""Site-wide pieces at the bottom of the house: profile, admin base, page cache, throttle, tags."""

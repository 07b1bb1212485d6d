"""Customer satisfaction: CSAT ratings, comments and free-text feedback."""

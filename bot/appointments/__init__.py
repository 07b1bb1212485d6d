"""Workshop appointments: German date/time parsing, slot offers and the customer's choices."""

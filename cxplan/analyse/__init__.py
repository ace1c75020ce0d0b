"""Pure analyses over valid plans: power map, tracking, history."""

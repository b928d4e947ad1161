"""The registry of free peoples: declarations (independence, or an indigenous nation's
sovereignty), recognitions decided by each people's own vote, the recognition rule as data,
and the world map of the peoples it shows as independent."""

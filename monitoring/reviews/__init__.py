"""Reviews of the contract: the Annual Contract Review timetable, service reviews and inspections."""

"""Unit tests of the pure domain (methods/): the phase engine, the scheduling, attendance and
coaching rules, working hours. No Slack, no database, no clock but the one passed in."""

"""Pro bono workers: the registration form, the emailed confirm and manage links, and staff's list."""

//! The web interface of Sikker By.

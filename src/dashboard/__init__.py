"""Jeugddashboard: the package behind the Streamlit app."""

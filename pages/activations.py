"""Activations: a placeholder until the real page lands."""
import streamlit as st
st.title("Activations")
st.info("This page is being built: it will show sigmoid, tanh and ReLU with their derivatives, and where each one saturates.")

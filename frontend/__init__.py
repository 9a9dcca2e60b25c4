"""Streamlit app a shopper uses: find a garment, see matches, outfits and a survey."""

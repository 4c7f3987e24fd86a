"""discussions"""

"""secession.maps"""

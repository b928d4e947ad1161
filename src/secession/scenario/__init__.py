"""secession.scenario"""

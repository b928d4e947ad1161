"""secession.referendum"""

"""The bot service's web app: CRM API now; agent desk and website join later."""

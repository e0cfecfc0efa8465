"""Emails a receipt after the appointment (Python)."""
import os

from azure.communication.email import EmailClient

email_client = EmailClient.from_connection_string(os.environ["ACS_CONNECTION_STRING"], logging_enable=True)


def email_receipt(customer_email: str, amount: str) -> None:
    message = {
        "senderAddress": "DoNotReply@contoso-reminders.example",
        "recipients": {"to": [{"address": customer_email}]},
        "content": {"subject": "Your receipt", "plainText": f"Amount paid: {amount}"},
    }
    email_client.begin_send(message)

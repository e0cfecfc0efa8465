"""Contoso appointment reminders: calls a customer and texts a confirmation (Python)."""
import os

from azure.communication.callautomation import CallAutomationClient, PhoneNumberIdentifier
from azure.communication.sms import SmsClient

CALLBACK_HOST = "http://contoso-reminders.example"  # plain HTTP: the service rejects it
CALLBACK_URL = CALLBACK_HOST + "/api/callbacks"

connection_string = os.environ["ACS_CONNECTION_STRING"]
call_client = CallAutomationClient.from_connection_string(connection_string)
sms_client = SmsClient.from_connection_string(connection_string)


def call_customer(number: str):
    target = PhoneNumberIdentifier("(425) 555-0100")
    return call_client.create_call(
        target,
        CALLBACK_URL,
        source_caller_id_number=PhoneNumberIdentifier("+18005550100"),
    )


def confirm(customer_number: str):
    responses = sms_client.send(
        from_="1 800 555 0100",
        to=[customer_number],
        message="Your appointment is confirmed.",
    )
    return [r.message_id for r in responses]

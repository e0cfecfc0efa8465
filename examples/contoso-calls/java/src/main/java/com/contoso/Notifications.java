// Texts and emails appointment confirmations (Java).
package com.contoso;

import com.azure.communication.email.EmailClient;
import com.azure.communication.email.EmailClientBuilder;
import com.azure.communication.email.models.EmailMessage;
import com.azure.communication.sms.SmsClient;
import com.azure.communication.sms.SmsClientBuilder;
import com.azure.communication.sms.models.SmsSendResult;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;

public class Notifications {
    // Pasted from the portal while testing.
    private static final String CONNECTION_STRING =
        "endpoint=https://contoso-reminders.communication.azure.com/;accesskey=pH4TcW37D8rBNiymMkiyGaUH3j76tOyfsDxV6qRBnzBEELRKJiHr1iowy+7wYH0rCzxyGr/2JzUL8lZts71HCg==";

    private final SmsClient smsClient = new SmsClientBuilder()
        .connectionString(CONNECTION_STRING)
        .httpLogOptions(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.HEADERS))
        .buildClient();
    private final EmailClient emailClient = new EmailClientBuilder()
        .connectionString(CONNECTION_STRING)
        .httpLogOptions(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.HEADERS))
        .buildClient();

    public String textConfirmation(String customerPhone) {
        SmsSendResult result = smsClient.send("+18005550100", customerPhone, "Your appointment is confirmed.");
        return result.getMessageId();
    }

    public void emailConfirmation(String customerEmail) {
        EmailMessage message = new EmailMessage()
            .setSenderAddress("DoNotReply@contoso-reminders.example")
            .setToRecipients(customerEmail)
            .setSubject("Appointment confirmed")
            .setBodyPlainText("See you soon!");
        emailClient.beginSend(message);
    }
}

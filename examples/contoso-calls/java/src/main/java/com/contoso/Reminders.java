// Contoso appointment reminders (Java).
package com.contoso;

import com.azure.communication.callautomation.CallAutomationClient;
import com.azure.communication.callautomation.models.CallInvite;
import com.azure.communication.callautomation.models.CreateCallOptions;
import com.azure.communication.common.PhoneNumberIdentifier;

public class Reminders {
    private static final String CALLBACK_HOST = "http://contoso-reminders.example";

    public void call(CallAutomationClient client) {
        CallInvite invite = new CallInvite(new PhoneNumberIdentifier("4255550100"),
            new PhoneNumberIdentifier("+18005550100"));
        CreateCallOptions options = new CreateCallOptions(invite, CALLBACK_HOST + "/api/callbacks");
        client.createCallWithResponse(options, null);
    }
}

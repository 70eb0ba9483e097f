/** Salesforce Outbound Message bodies for tests, shaped as Salesforce sends them. */
export const ORG = "00D5g000004ABCDEAA";

export function outboundXml(notifications: string, org = ORG): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${org}</OrganizationId>
   <ActionId>04k5g000000XYZAAA</ActionId>
   <SessionId xsi:nil="true"/>
   <EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/62.0/${org}</EnterpriseUrl>
   <PartnerUrl>https://example.my.salesforce.com/services/Soap/u/62.0/${org}</PartnerUrl>
   ${notifications}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`;
}

export function notification(id: string, type: string, objectId: string, fields = ""): string {
  return `<Notification><Id>${id}</Id><sObject xsi:type="sf:${type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>${objectId}</sf:Id>${fields}</sObject></Notification>`;
}

// Loads the widget. Any page that includes this module can place any number
// of <setter-contact-form endpoint="/api/contacts"> and
// <setter-contact-import endpoint="/api/contacts"> elements; it also exposes
// mount(element, { endpoint }) and mountImport(element, { endpoint }) as
// window.SetterContactForm.mount and .mountImport.
import init, { mount, mountImport } from "./setter-contacts.js";

await init();
window.SetterContactForm = { mount, mountImport };

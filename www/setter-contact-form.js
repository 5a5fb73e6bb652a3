// Loads the widget. Any page that includes this module can place any number
// of <setter-contact-form endpoint="/api/contacts"> elements; it also exposes
// mount(element, { endpoint }) as window.SetterContactForm.mount.
import init, { mount } from "./setter-contacts.js";

await init();
window.SetterContactForm = { mount };

# English: the second language of the interface.

skip-to-content = Skip to content
nav-main = Main navigation
nav-languages = Choose language
nav-home = Home
nav-about = About msohub
nav-accessibility = Accessibility
nav-staff = Staff area
footer-about = msohub connects the municipal integration centre with the migrant self-organisations of the city. Free software under the EUPL-1.2.

home-title = Home
home-heading = Offers and organisations in your city
home-lead = Find the migrant self-organisations of the city, their offers and events – and the offers of the municipal integration centre.
home-what-heading = What you will find here
home-what-organisations = Associations and initiatives: who they are, what they do and how to reach them.
home-what-offers = Offers: counselling, language courses, meeting places, homework help and more, in many languages.
home-what-events = Events: festivals, information evenings, sessions and meetings.
home-staff-heading = For staff of the integration centre
home-staff-text = In the staff area you keep the directory, record visits and contacts, support working groups and councils, and write the yearly report.

about-title = About msohub
about-lead = msohub is the software a municipal integration centre (KI) uses to coordinate its work with the migrant self-organisations (MSO) of its city.
about-who-heading = Who it is for
about-who-text = For the staff of the integration centre, for the representatives of the organisations who keep their own details up to date, and for everyone looking for offers and events – in their language.
about-licence-heading = Licence
about-licence-text = msohub is free software under the European Union Public Licence (EUPL-1.2). Every municipality may use, adapt and share it.

accessibility-title = Accessibility statement
accessibility-intro = We want everyone to be able to use these pages. The public pages aim to meet the German accessibility regulation (BITV 2.0) and WCAG 2.1 at level AA.
accessibility-status-heading = Compliance status
accessibility-status-text = Every public page is checked automatically with axe-core for WCAG 2.1 AA violations, and operated with the keyboard alone, whenever the software changes.
accessibility-feedback-heading = Report a barrier
accessibility-feedback-text = If you find a barrier, please write to the municipal integration centre. We answer within two weeks.

staff-title = Staff area
staff-intro = The work areas of the integration centre are being built here. Sign-in arrives with user management.
staff-rooms-heading = Work areas
staff-room-registry = Registry
staff-room-registry-text = Organisations, contact persons, consent.
staff-room-contacts = Contacts and visits
staff-room-contacts-text = Visits, conversations, needs and follow-ups.
staff-room-bodies = Bodies
staff-room-bodies-text = Working group, integration council, meetings and attendance.
staff-room-targets = Targets and report
staff-room-targets-text = Reporting periods, targets with progress, the yearly report.
staff-room-admin = Administration
staff-room-admin-text = Users, roles, settings, backups.

error-code = Error code
error-back-home = Back to the home page
error-400-title = Bad request
error-400-text = The request could not be processed.
error-403-title = Access denied
error-403-text = You are not allowed to see this page.
error-404-title = Page not found
error-404-text = There is no page at { $path }. It may have moved, or the address may contain a typo.
error-409-title = Conflict
error-409-text = Someone else has changed this record in the meantime.
error-422-title = Input incomplete
error-422-text = Some of the input is not valid.
error-500-title = Internal error
error-500-text = Something went wrong. The error has been logged; please try again later.
error-503-title = Temporarily unavailable
error-503-text = The service cannot be reached right now. Please try again in a few minutes.

"""telepathy-glib (0.24, through GObject introspection) reading the `email` protocol's addressing.

From the .manager file alone (cave not running) telepathy-glib 0.24 reports no addressable fields:
its parser does not read the AddressableVCardFields/AddressableURISchemes keys. It asks the
Protocol object (which activates cave) to normalise a vCard EMAIL address and a mailto: URI, and
then, from the running manager's Protocols map, sees the fields and schemes. Each step prints
one line `step: detail`; any failure exits 1.
"""
from tp_client_common import Tp, fail, finish, step, wait_for

dbus = Tp.DBusDaemon.dup()
cm = Tp.ConnectionManager.new(dbus, "cave", None)
wait_for(lambda done: cm.prepare_async(None, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare CM")
protocol = cm.get_protocol_object("email")
if protocol is None:
    fail("the .manager file does not describe protocol email")
step("manager-file", f"vcard-fields={list(protocol.get_addressable_vcard_fields())} uri-schemes={list(protocol.get_addressable_uri_schemes())}")
address = wait_for(lambda done: protocol.normalize_vcard_address_async(
    "email", "Alice@Example.COM", None, lambda o, r: done(finish(o, "normalize_vcard_address_finish", r))), "vCard address")
step("vcard-address", address[0] if isinstance(address, tuple) else address)
uri = wait_for(lambda done: protocol.normalize_contact_uri_async(
    "mailto:Alice@Example.COM?subject=Lunch", None, lambda o, r: done(finish(o, "normalize_contact_uri_finish", r))), "URI")
step("uri", uri[0] if isinstance(uri, tuple) else uri)
live = Tp.ConnectionManager.new(dbus, "cave", "")  # "": no .manager file, ask the running CM
wait_for(lambda done: live.prepare_async(None, lambda o, r: done(finish(o, "prepare_finish", r))), "prepare the running CM")
email = live.get_protocol_object("email")
step("live", f"source={live.get_info_source().value_nick} vcard-fields={list(email.get_addressable_vcard_fields())} "
     f"uri-schemes={list(email.get_addressable_uri_schemes())}")

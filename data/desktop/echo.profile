<?xml version="1.0" encoding="UTF-8"?>
<!-- A Telepathy service profile: how account dialogs built on telepathy-qt name and draw echo accounts. -->
<service xmlns="http://telepathy.freedesktop.org/wiki/service-profile-v1"
         id="echo" type="IM" manager="cave" protocol="echo" icon="im-echo">
  <name>Echo</name>
  <parameters>
    <parameter name="account" type="s" mandatory="1" label="Your echo account"/>
  </parameters>
</service>

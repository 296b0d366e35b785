"""An XML answer (ELB's Query protocol) as the rules that change moto's answers share it: parsed once, when a rule first
reads it, and written once, after the last rule, only if a rule changed it.

Each after-rule used to parse the body and write it back itself: a DescribeLoadBalancers of every load balancer was
parsed three times and written twice. A parse of a body written by ElementTree gives the same tree again, so the
rules' changes made to one tree give the same bytes as their changes made one after the other.
"""
import xml.etree.ElementTree as ET


class XmlAnswer:
    def __init__(self, body):
        self.body = body
        self._root = None
        self.changed = False

    @property
    def root(self):
        if self._root is None:
            self._root = ET.fromstring(self.body)
        return self._root

    def written(self):
        """The answer's bytes: moto's own unless a rule changed the tree."""
        return ET.tostring(self._root, encoding="utf-8", xml_declaration=False) if self.changed else self.body

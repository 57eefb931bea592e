"""Dataverse solutions holding the connector (`ppconnector solution`) and the Partner Center certification
package (`ppconnector package --partner-center`): files in the layout Power Platform exports, zipped
deterministically.  Library functions return bytes; the commands write them."""

// A file standing loose in terminals/, in no part.
int loose = 0;

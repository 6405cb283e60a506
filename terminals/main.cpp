#include <cstdio>
int main() { std::puts("hakto"); return 0; }

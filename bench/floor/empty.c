/* A process that does nothing, for scale. */
int main(void)
{
    return 0;
}

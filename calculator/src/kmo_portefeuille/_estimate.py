"""Work in progress."""


def estimate(request):
    raise NotImplementedError

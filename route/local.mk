# route/ (see route/route.h)

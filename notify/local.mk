# notify/ (see notify/notify.h)
